/*
 * TopProcs.tsx - the processes holding the most memory (RSS), as `top`
 * would sort them; kernel threads left out.
 */

import { Box, Text } from "ink";
import type { MemSnapshot } from "../../machine.js";
import { formatPages } from "../format.js";

export function TopProcs({ snap, rows }: { snap: MemSnapshot; rows: number }) {
  const top = snap.tasks
    .filter((t) => !t.kthread)
    .sort((a, b) => b.rssPages - a.rssPages || a.pid - b.pid)
    .slice(0, Math.max(1, rows));
  return (
    <Box flexDirection="column">
      <Text bold>{"  PID S COMMAND          RSS"}</Text>
      {top.map((t) => (
        <Text key={t.pid} wrap="truncate">
          {`${String(t.pid).padStart(5)} ${t.state} ${t.comm.slice(0, 15).padEnd(15)} ${formatPages(t.rssPages, snap.pageSize).padStart(6)}`}
        </Text>
      ))}
    </Box>
  );
}
