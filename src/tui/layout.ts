/*
 * layout.ts - where things go on the host terminal: the console (whose
 * size becomes the machine tty's winsize), the memory panel, the status
 * line. A pure function of the terminal size and whether the panel is open.
 *
 *   wide (>= 120 columns)        tall (>= 40 rows)        small
 *   +-------------+--------+     +------------------+     +------------------+
 *   | console     | panel  |     | console          |     | panel (over the  |
 *   |             |        |     +------------------+     |  console, which  |
 *   |             |        |     | panel            |     |  keeps its size) |
 *   +-------------+--------+     +------------------+     +------------------+
 *   status line                  status line              status line
 *
 * Ink redraws everything whenever its output is as tall as the terminal, so
 * the TUI leaves the terminal's last row empty.
 */

export const PANEL_COLS = 46;
export const PANEL_ROWS = 22;

export interface Layout {
  console: { cols: number; rows: number };
  /** Where the panel is drawn (null: closed). "over": in place of the console. */
  panel: { at: "right" | "bottom" | "over"; cols: number; rows: number } | null;
}

export function computeLayout(cols: number, rows: number, panel: boolean): Layout {
  const height = Math.max(2, rows - 2); // minus the status line and the row ink must leave
  const width = Math.max(10, cols);
  if (!panel) return { console: { cols: width, rows: height }, panel: null };
  if (width >= 120)
    return {
      console: { cols: width - PANEL_COLS, rows: height },
      panel: { at: "right", cols: PANEL_COLS, rows: height },
    };
  if (height >= 38)
    return {
      console: { cols: width, rows: height - PANEL_ROWS },
      panel: { at: "bottom", cols: width, rows: PANEL_ROWS },
    };
  return { console: { cols: width, rows: height }, panel: { at: "over", cols: width, rows: height } };
}
