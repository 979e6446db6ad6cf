/*
 * show.ts - a tree back to text (BusyBox shell/ash.c: commandtext, cmdtxt,
 * cmdputs): the command a job line shows ("[1]+  Running   sleep 9 | cat"),
 * and the body `type f` prints.
 */

import type { Node, Part, Redir, Word } from "./ast.js";

function partText(p: Part, inDq: boolean): string {
  switch (p.t) {
    case "lit":
      return p.s;
    case "sq":
      return inDq ? p.s : p.s.length === 1 && !p.s.includes("'") ? `\\${p.s}` : `'${p.s}'`;
    case "dq":
      return `"${p.parts.map((q) => partText(q, true)).join("")}"`;
    case "tilde":
      return `~${p.user}`;
    case "cmdsub":
      return `$(${p.body ? cmdtxt(p.body) : ""})`;
    case "arith":
      return `$((${wordText(p.expr)}))`;
    case "param": {
      if (p.op === "bad") return `\${${p.name}}`;
      if (p.op === "" && !p.colon) return `\${${p.name}}`;
      if (p.op === "#len") return `\${#${p.name}}`;
      const arg = p.arg ? wordText(p.arg) : "";
      if (p.op === ":") return `\${${p.name}:${arg}${p.arg2 ? `:${wordText(p.arg2)}` : ""}}`;
      if (p.op === "/" || p.op === "//")
        return `\${${p.name}${p.op}${arg}/${p.arg2 ? wordText(p.arg2) : ""}}`;
      return `\${${p.name}${p.colon ? ":" : ""}${p.op}${arg}}`;
    }
  }
}

export function wordText(w: Word): string {
  return w.parts.map((p) => partText(p, false)).join("");
}

function redirText(r: Redir): string {
  const dflt = r.op[0] === "<" ? 0 : 1;
  const fd = r.fd === dflt ? "" : String(r.fd);
  if (r.op === "<<" || r.op === "<<-") return `${fd}${r.op}...`;
  return `${fd}${r.op}${wordText(r.target)}`;
}

function withRedirs(s: string, redirs: Redir[]): string {
  return redirs.length ? `${s} ${redirs.map(redirText).join(" ")}` : s;
}

/** The text of a command, on one line. */
export function cmdtxt(n: Node | null): string {
  if (!n) return "";
  switch (n.type) {
    case "cmd":
      return [...n.assigns.map(wordText), ...n.args.map(wordText), ...n.redirs.map(redirText)].join(" ");
    case "pipe":
      return n.cmds.map(cmdtxt).join(" | ") + (n.bg ? " &" : "");
    case "and":
      return `${cmdtxt(n.left)} && ${cmdtxt(n.right)}`;
    case "or":
      return `${cmdtxt(n.left)} || ${cmdtxt(n.right)}`;
    case "not":
      return `! ${cmdtxt(n.body)}`;
    case "seq":
      return `${cmdtxt(n.left)}; ${cmdtxt(n.right)}`;
    case "bg":
      return `${cmdtxt(n.body)} &`;
    case "subshell":
      return withRedirs(`(${cmdtxt(n.body)})`, n.redirs);
    case "group":
      return withRedirs(`{ ${cmdtxt(n.body)}; }`, n.redirs);
    case "if": {
      let s = `if ${cmdtxt(n.cond)}; then ${cmdtxt(n.then)}`;
      if (n.else) s += `; else ${cmdtxt(n.else)}`;
      return withRedirs(`${s}; fi`, n.redirs);
    }
    case "while":
    case "until":
      return withRedirs(`${n.type} ${cmdtxt(n.cond)}; do ${cmdtxt(n.body)}; done`, n.redirs);
    case "for": {
      const words = n.words ? ` in ${n.words.map(wordText).join(" ")}` : "";
      return withRedirs(`for ${n.name}${words}; do ${cmdtxt(n.body)}; done`, n.redirs);
    }
    case "case": {
      const items = n.items.map((i) => `${i.patterns.map(wordText).join("|")}) ${cmdtxt(i.body)};;`);
      return withRedirs(`case ${wordText(n.word)} in ${items.join(" ")} esac`, n.redirs);
    }
    case "defun":
      return `${n.name}() ${cmdtxt(n.body)}`;
  }
}
