/*
 * Console.tsx - the machine's console: the terminal emulator's screen (or
 * its scrollback), one <Text> per row, and the terminal's real cursor put
 * where the emulator's is.
 */

import { Box, Text, useCursor } from "ink";
import { memo } from "react";
import { useDriver, useFrame, useUi } from "../context.js";
import { renderLine } from "../vt-render.js";

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text || " "}</Text>;
});

export function Console({ cols, rows }: { cols: number; rows: number }) {
  const d = useDriver();
  useFrame();
  const { scroll } = useUi();
  const vt = d.vt;
  const { setCursorPosition } = useCursor();
  const live = scroll === 0 && vt.cursorVisible && d.state === "running";
  setCursorPosition(live ? { x: vt.x, y: vt.y } : undefined);
  const lines = vt.view(scroll);
  return (
    <Box flexDirection="column" width={cols} height={rows} overflow="hidden">
      {lines.map((l, i) => (
        // Rows are positions on the screen: the index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Row key={i} text={renderLine(l)} />
      ))}
    </Box>
  );
}
