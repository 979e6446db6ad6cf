/*
 * TopProcs.tsx - the processes holding the most memory (RSS), as `top`
 * would sort them; kernel threads left out. %MEM is RSS against MemTotal
 * (totalram), procps top's %MEM, to one decimal.
 */

import { Box, Text } from "ink";
import type { MemSnapshot } from "../../machine.js";
import { formatPages } from "../format.js";

/** RSS as a percentage of MemTotal, "%4.1f" as procps top prints it. */
function pmem(rss: number, totalram: number): string {
  return ((100 * rss) / Math.max(totalram, 1)).toFixed(1).padStart(4);
}

export function TopProcs({ snap, rows }: { snap: MemSnapshot; rows: number }) {
  const top = snap.tasks
    .filter((t) => !t.kthread)
    .sort((a, b) => b.rssPages - a.rssPages || a.pid - b.pid)
    .slice(0, Math.max(1, rows));
  return (
    <Box flexDirection="column">
      <Text bold>{"  PID S COMMAND          RSS %MEM"}</Text>
      {top.map((t) => (
        <Text key={t.pid} wrap="truncate">
          {`${String(t.pid).padStart(5)} ${t.state} ${t.comm.slice(0, 15).padEnd(15)} ${formatPages(t.rssPages, snap.pageSize).padStart(6)} ${pmem(t.rssPages, snap.totalram)}`}
        </Text>
      ))}
    </Box>
  );
}
