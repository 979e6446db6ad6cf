/*
 * MemoryPanel.tsx - the live memory panel (F2): zones and watermarks, the
 * buddy free areas, LRU and swap, the largest processes. It reads a
 * snapshot (Machine.snapshot(), a side-effect-free peek) on each frame;
 * the driver refreshes it a few times a second as simulated time passes.
 */

import { Box, Text } from "ink";
import { useDriver, useFrame } from "../context.js";
import { formatUptime } from "../format.js";
import { BuddyHistogram } from "./BuddyHistogram.js";
import { LruSwap } from "./LruSwap.js";
import { TopProcs } from "./TopProcs.js";
import { ZoneBars } from "./ZoneBars.js";

export function MemoryPanel({ cols, rows }: { cols: number; rows: number }) {
  const d = useDriver();
  useFrame();
  const snap = d.memSnapshot();
  const inner = cols - 4;
  // Fixed parts: border 2, title 1, zones 1 + 2 each, buddy 7, lru 5, header of the process list 1.
  const procRows = rows - 17 - 2 * snap.zones.length;
  return (
    <Box flexDirection="column" width={cols} height={rows} borderStyle="round" paddingX={1} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color="cyan">
          memory
        </Text>
        <Text dimColor>{`  t=${formatUptime(snap.ns)}  F2 closes`}</Text>
      </Text>
      <ZoneBars snap={snap} width={inner} />
      <BuddyHistogram snap={snap} />
      <LruSwap snap={snap} />
      {procRows > 0 && <TopProcs snap={snap} rows={procRows} />}
    </Box>
  );
}
