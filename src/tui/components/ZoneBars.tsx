/*
 * ZoneBars.tsx - per zone: free memory against the min/low/high watermarks
 * (charts.ts draws the bar), and the numbers.
 */

import { Box, Text } from "ink";
import type { MemSnapshot } from "../../machine.js";
import { formatPages } from "../format.js";
import { LEVEL_COLOR, zoneBar, zoneLevel } from "./charts.js";

export function ZoneBars({ snap, width }: { snap: MemSnapshot; width: number }) {
  const multi = new Set(snap.zones.map((z) => z.node)).size > 1;
  return (
    <Box flexDirection="column">
      <Text bold>zones: free vs watermarks</Text>
      {snap.zones.map((z) => {
        const name = `${multi ? `${z.node}:` : ""}${z.name}`;
        return (
          <Box key={`${z.node}:${z.name}`} flexDirection="column">
            <Text wrap="truncate">
              <Text>{name.padEnd(8)} </Text>
              {zoneBar(z, width - 9).map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
                <Text key={i} color={s.color} dimColor={s.dim}>
                  {s.text}
                </Text>
              ))}
            </Text>
            <Text wrap="truncate" dimColor>
              {/* One space in, not under the bar: the four numbers need 40 of the panel's 42 cells. */}{" "}
              <Text color={LEVEL_COLOR[zoneLevel(z)]}>free {formatPages(z.free, snap.pageSize)}</Text>
              {` min ${formatPages(z.min, snap.pageSize)} low ${formatPages(z.low, snap.pageSize)} high ${formatPages(z.high, snap.pageSize)}`}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
