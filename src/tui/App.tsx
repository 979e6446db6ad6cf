/*
 * App.tsx - picks the layout (layout.ts) and places the console, the
 * memory panel (or the physical memory map in its place) and the status
 * line in it. Nothing else.
 */

import { Box } from "ink";
import { Console } from "./components/Console.js";
import { MemoryPanel } from "./components/MemoryPanel.js";
import { PhysMapPanel } from "./components/PhysMapPanel.js";
import { StatusLine } from "./components/StatusLine.js";
import { useUi } from "./context.js";
import { computeLayout } from "./layout.js";

export function App() {
  const ui = useUi();
  const { console: con, panel } = computeLayout(ui.cols, ui.rows, ui.panel || ui.physmap);
  const Panel = ui.physmap ? PhysMapPanel : MemoryPanel;
  const body =
    panel?.at === "over" ? (
      <Panel cols={panel.cols} rows={panel.rows} />
    ) : (
      <Box flexDirection={panel?.at === "right" ? "row" : "column"}>
        <Console cols={con.cols} rows={con.rows} />
        {panel && <Panel cols={panel.cols} rows={panel.rows} />}
      </Box>
    );
  return (
    <Box flexDirection="column" width={ui.cols}>
      {body}
      <StatusLine cols={ui.cols} />
    </Box>
  );
}
