/*
 * vars.ts - shell variables (BusyBox shell/ash.c: struct var, setvar,
 * lookupvar, listvars, mklocal/poplocalvars, environment()).
 *
 * A variable has a value (or none: `readonly x` and `export x` may name one
 * that is unset) and flags. Function-local variables (`local`) save the
 * outer variable in the innermost frame; returning from the function puts
 * it back. The environment handed to execve is rebuilt only after an
 * exported variable changed.
 */

export interface Var {
  value: string | null;
  exported: boolean;
  readonly: boolean;
}

/** An attempt to change a readonly variable. */
export class ReadonlyError {
  constructor(readonly name: string) {}
}

export class Vars {
  map = new Map<string, Var>();
  /** One frame per running function: the saved outer variables of its `local`s. */
  frames: Map<string, Var | undefined>[] = [];
  private envCache: string[] | null = null;
  /** Called when PATH changes (the command hash table is flushed). */
  onPathChange: (() => void) | null = null;
  /** Called when OPTIND is assigned or unset other than by getopts (getoptsreset). */
  onOptindChange: ((value: string | null) => void) | null = null;

  static fromEnv(envp: readonly string[]): Vars {
    const v = new Vars();
    for (const e of envp) {
      const i = e.indexOf("=");
      if (i <= 0) continue;
      v.map.set(e.slice(0, i), { value: e.slice(i + 1), exported: true, readonly: false });
    }
    return v;
  }

  /** A deep copy, for a forked child. */
  clone(): Vars {
    const v = new Vars();
    for (const [k, x] of this.map) v.map.set(k, { ...x });
    v.frames = this.frames.map((f) => new Map([...f].map(([k, x]) => [k, x ? { ...x } : undefined])));
    return v;
  }

  get(name: string): string | null {
    const v = this.map.get(name);
    return v ? v.value : null;
  }

  /** setvar: throws ReadonlyError for a readonly variable. */
  set(
    name: string,
    value: string | null,
    flags: { export?: boolean; readonly?: boolean; nofunc?: boolean } = {},
  ): void {
    let v = this.map.get(name);
    if (v?.readonly && (value !== null || flags.readonly === undefined)) {
      if (value !== null || !flags.readonly) throw new ReadonlyError(name);
    }
    if (!v) {
      v = { value: null, exported: false, readonly: false };
      this.map.set(name, v);
    }
    if (value !== null) v.value = value;
    if (flags.export) v.exported = true;
    if (flags.readonly) v.readonly = true;
    if (v.exported) this.envCache = null;
    if (!flags.nofunc) this.changed(name);
  }

  /** A variable with a side effect changed (ash's var_func; VNOFUNC skips it). */
  private changed(name: string): void {
    if (name === "PATH") this.onPathChange?.();
    else if (name === "OPTIND") this.onOptindChange?.(this.get(name));
  }

  /** export -n: the variable stays, out of the environment. */
  unexport(name: string): void {
    const v = this.map.get(name);
    if (!v) return;
    v.exported = false;
    this.envCache = null;
  }

  /** unset: false when the variable is readonly. */
  unset(name: string): boolean {
    const v = this.map.get(name);
    if (!v) return true;
    if (v.readonly) return false;
    if (v.exported) this.envCache = null;
    if (this.frames.length && this.frames[this.frames.length - 1].has(name)) v.value = null;
    else this.map.delete(name);
    this.changed(name);
    return true;
  }

  /** Puts back a variable saved before a temporary assignment (x=1 cmd). */
  restore(name: string, v: Var | undefined): void {
    if (v) this.map.set(name, { ...v });
    else this.map.delete(name);
    this.envCache = null;
    this.changed(name);
  }

  /** local NAME: remembers the outer variable, to be restored on return. */
  makeLocal(name: string): void {
    const f = this.frames[this.frames.length - 1];
    if (!f || f.has(name)) return;
    const v = this.map.get(name);
    f.set(name, v ? { ...v } : undefined);
    // ash's mklocal: "local VAR" without a value unsets VAR inside the function
    if (!v) this.map.set(name, { value: null, exported: false, readonly: false });
    else if (!v.readonly) v.value = null;
  }

  pushFrame(): void {
    this.frames.push(new Map());
  }

  popFrame(): void {
    const f = this.frames.pop();
    if (!f) return;
    for (const [name, v] of f) {
      const cur = this.map.get(name);
      if (cur?.exported || v?.exported) this.envCache = null;
      if (v) this.map.set(name, v);
      else this.map.delete(name);
      this.changed(name);
    }
  }

  /** The environment for execve: exported variables with a value. */
  environ(): string[] {
    if (this.envCache) return this.envCache;
    const out: string[] = [];
    for (const [k, v] of this.map) if (v.exported && v.value !== null) out.push(`${k}=${v.value}`);
    this.envCache = out;
    return out;
  }

  /** Names in the order `set`, `export -p` and `readonly -p` list them. */
  sortedNames(): string[] {
    return [...this.map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Quotes a value the way ash's `set` and `export -p` print it: 'it'"'"'s'. */
export function single_quote(s: string): string {
  let out = "";
  let i = 0;
  do {
    let j = s.indexOf("'", i);
    if (j < 0) j = s.length;
    out += `'${s.slice(i, j)}'`;
    i = j;
    if (s[i] !== "'") break;
    while (s[j] === "'") j++;
    out += `"${s.slice(i, j)}"`;
    i = j;
  } while (i < s.length);
  return out;
}
