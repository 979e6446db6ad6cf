/*
 * Tui.tsx - the root: UI state (a reducer), the contexts, the keyboard, the
 * terminal size, and leaving when the machine is switched off or Ctrl-A x
 * is pressed. The layout itself is App's business.
 */

import { useApp, useStdout } from "ink";
import { useCallback, useEffect, useMemo, useReducer } from "react";
import { App } from "./App.js";
import {
  DriverContext,
  type UiActions,
  UiActionsContext,
  UiStateContext,
  useDriver,
  useFrame,
} from "./context.js";
import type { Driver } from "./driver.js";
import { useKeys } from "./hooks/useKeys.js";
import { terminalSize, useTerminalSize } from "./hooks/useTerminalSize.js";
import { computeLayout } from "./layout.js";
import { initialUi, uiReducer } from "./state.js";

export function Tui({ driver }: { driver: Driver }) {
  const { stdout } = useStdout();
  const [ui, dispatch] = useReducer(uiReducer, terminalSize(stdout), (t) => initialUi(t.cols, t.rows));
  const actions = useMemo<UiActions>(
    () => ({
      togglePanel: () => dispatch({ type: "togglePanel" }),
      togglePhysmap: () => dispatch({ type: "togglePhysmap" }),
      scroll: (pages) =>
        dispatch({
          type: "scroll",
          by: pages * Math.max(1, driver.vt.rows - 1),
          max: driver.vt.scrollback.length,
        }),
      live: () => dispatch({ type: "live" }),
      setPrefix: (on) => dispatch({ type: "prefix", on }),
    }),
    [driver],
  );
  const onResize = useCallback((cols: number, rows: number) => dispatch({ type: "resize", cols, rows }), []);
  useTerminalSize(onResize);

  // The console's size is the machine tty's winsize.
  const layout = computeLayout(ui.cols, ui.rows, ui.panel || ui.physmap);
  useEffect(
    () => driver.resize(layout.console.cols, layout.console.rows),
    [driver, layout.console.cols, layout.console.rows],
  );

  return (
    <DriverContext.Provider value={driver}>
      <UiStateContext.Provider value={ui}>
        <UiActionsContext.Provider value={actions}>
          <Session />
        </UiActionsContext.Provider>
      </UiStateContext.Provider>
    </DriverContext.Provider>
  );
}

/** Inside the providers: keys, and the exit once the machine is off. */
function Session() {
  useKeys();
  const { exit } = useApp();
  useFrame();
  const state = useDriver().state;
  useEffect(() => {
    if (state === "halted" || state === "quit") exit();
  }, [state, exit]);
  return <App />;
}
