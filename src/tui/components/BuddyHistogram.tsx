/*
 * BuddyHistogram.tsx - the buddy allocator's free areas: free blocks per
 * order over all zones (what /proc/buddyinfo lists), as a log-scale column
 * chart with the counts under it.
 */

import { Box, Text } from "ink";
import type { MemSnapshot } from "../../machine.js";
import { formatCount } from "../format.js";
import { logColumns } from "./charts.js";

export function BuddyHistogram({ snap, height = 4 }: { snap: MemSnapshot; height?: number }) {
  const orders = Math.max(0, ...snap.zones.map((z) => z.freeBlocks.length));
  const blocks = Array.from({ length: orders }, (_, o) =>
    snap.zones.reduce((a, z) => a + (z.freeBlocks[o] ?? 0), 0),
  );
  const cell = (s: string): string => s.padStart(2).padEnd(3);
  return (
    <Box flexDirection="column">
      <Text bold>buddy: free blocks per order</Text>
      {logColumns(blocks, height).map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
        <Text key={i} color="cyan">
          {` ${row}`}
        </Text>
      ))}
      <Text> {blocks.map((b) => cell(formatCount(b))).join("")}</Text>
      <Text dimColor>
        {/* 12 orders fill the 42 cells inside the panel exactly: no padding after the last one. */}
        {` ${blocks
          .map((_, o) => cell(String(o)))
          .join("")
          .trimEnd()} order`}
      </Text>
    </Box>
  );
}
