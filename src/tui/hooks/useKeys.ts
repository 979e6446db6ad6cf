/*
 * useKeys.ts - the keyboard: raw terminal input, split into keys
 * (keys.ts), routed to the panel, the scrollback, quitting, or the console.
 *
 * It listens to ink's input events rather than useInput: useInput hands
 * over a parsed (input, key) pair that cannot tell F2 from F3 and has lost
 * the bytes the console needs. The events are the raw chunks ink read, a
 * paste ("free\r") being one chunk.
 */

import { useStdin } from "ink";
import { useEffect, useRef } from "react";
import { useDriver, useUi, useUiActions } from "../context.js";
import { type KeyState, routeKey, splitKeys } from "../keys.js";

export function useKeys(): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  const d = useDriver();
  const actions = useUiActions();
  const { scroll } = useUi();
  const state = useRef<KeyState>({ prefix: false });
  const scrolled = useRef(scroll);
  scrolled.current = scroll;

  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);

  useEffect(() => {
    const onInput = (chunk: string): void => {
      let send = "";
      const flush = (): void => {
        if (!send) return;
        if (scrolled.current) actions.live();
        d.key(send);
        send = "";
      };
      for (const key of splitKeys(chunk)) {
        const [next, cmd] = routeKey(state.current, key);
        state.current = next;
        if (cmd.kind === "send") send += cmd.key;
        else if (cmd.kind === "panel") {
          flush();
          actions.togglePanel();
        } else if (cmd.kind === "physmap") {
          flush();
          actions.togglePhysmap();
        } else if (cmd.kind === "scroll") {
          flush();
          actions.scroll(cmd.pages);
        } else if (cmd.kind === "quit") {
          flush();
          d.quit();
        }
      }
      flush();
      actions.setPrefix(state.current.prefix);
    };
    events.on("input", onInput);
    return () => {
      events.off("input", onInput);
    };
  }, [events, d, actions]);
}
