/*
 * state.ts - the TUI's own state (what the user chose, not what the machine
 * does: that is read from the Driver) and its reducer.
 */

export interface UiState {
  /** Host terminal size. */
  cols: number;
  rows: number;
  /** The memory panel is open (F2). */
  panel: boolean;
  /** The physical memory map is open (F3), in the panel's place. */
  physmap: boolean;
  /** Lines the console is scrolled back (0: live). */
  scroll: number;
  /** Ctrl-A was pressed: the next key is a command. */
  prefix: boolean;
}

export type UiAction =
  | { type: "resize"; cols: number; rows: number }
  | { type: "togglePanel" }
  | { type: "togglePhysmap" }
  | { type: "scroll"; by: number; max: number }
  | { type: "live" }
  | { type: "prefix"; on: boolean };

export function initialUi(cols: number, rows: number): UiState {
  return { cols, rows, panel: false, physmap: false, scroll: 0, prefix: false };
}

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case "resize":
      return s.cols === a.cols && s.rows === a.rows ? s : { ...s, cols: a.cols, rows: a.rows };
    case "togglePanel":
      return { ...s, panel: !s.panel, physmap: false };
    case "togglePhysmap":
      return { ...s, physmap: !s.physmap, panel: false };
    case "scroll":
      return { ...s, scroll: Math.max(0, Math.min(a.max, s.scroll + a.by)) };
    case "live":
      return s.scroll === 0 ? s : { ...s, scroll: 0 };
    case "prefix":
      return s.prefix === a.on ? s : { ...s, prefix: a.on };
  }
}
