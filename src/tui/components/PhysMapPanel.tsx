/*
 * PhysMapPanel.tsx - the physical memory map (F3), live: what physmap
 * prints, one coloured character per cell of pages, with the cells made as
 * small as the panel allows (Machine.pfnMap picks the order). The classes
 * and glyphs are kernel/mm/pfn_map.ts's; lower case is a mostly free cell.
 */

import { Box, Text } from "ink";
import {
  PFN_ANON,
  PFN_FILE,
  PFN_FREE,
  PFN_PAGETABLE,
  PFN_SLAB,
  PFN_SLAB_RECLAIMABLE,
  type ZonePfnMap,
} from "../../machine.js";
import { useDriver, useFrame } from "../context.js";
import { formatPages, formatUptime } from "../format.js";

/** A colour per glyph (upper case; lower case is the same colour, dimmed). */
const COLOR: Record<string, string> = {
  ".": "gray",
  P: "white",
  A: "green",
  F: "cyan",
  R: "yellow",
  S: "magenta",
  T: "blue",
  K: "red",
  X: "gray",
};

/** Cuts a row into runs of one glyph, each drawn in its colour. */
function Row({ cells }: { cells: string }) {
  const runs: string[] = [];
  for (const c of cells) {
    if (runs.length && runs[runs.length - 1][0] === c) runs[runs.length - 1] += c;
    else runs.push(c);
  }
  return (
    <Text wrap="truncate">
      {runs.map((r, i) => {
        const up = r[0].toUpperCase();
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional
          <Text key={i} color={COLOR[up]} dimColor={r[0] === "." || up !== r[0]}>
            {r}
          </Text>
        );
      })}
    </Text>
  );
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Pages of a class over all zones. */
const total = (maps: ZonePfnMap[], cls: number): number => maps.reduce((a, m) => a + m.pages[cls], 0);

export function PhysMapPanel({ cols, rows }: { cols: number; rows: number }) {
  const d = useDriver();
  useFrame();
  const inner = cols - 4;
  // Fixed rows: border 2, title 1, totals 1, legend 2; then a header and the map per zone.
  const snap = d.memSnapshot();
  const maps = d.pfnMap(inner, Math.max(1, rows - 6 - snap.zones.length));
  const size = (m: ZonePfnMap): string => formatPages(1 << m.cell_order);
  const slab = total(maps, PFN_SLAB) + total(maps, PFN_SLAB_RECLAIMABLE);
  return (
    <Box flexDirection="column" width={cols} height={rows} borderStyle="round" paddingX={1} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color="cyan">
          physical memory
        </Text>
        <Text dimColor>{`  t=${formatUptime(snap.ns)}  F3 closes`}</Text>
      </Text>
      {maps.map((m) => (
        <Box key={`${m.node}:${m.name}`} flexDirection="column">
          <Text wrap="truncate" bold>
            {m.name}
            <Text dimColor>{` ${hex(m.start_pfn)}-${hex(m.end_pfn - 1)}  a cell is ${size(m)}`}</Text>
          </Text>
          {Array.from({ length: Math.ceil(m.cells.length / inner) }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: map rows are positional
            <Row key={i} cells={m.cells.slice(i * inner, (i + 1) * inner)} />
          ))}
        </Box>
      ))}
      <Text wrap="truncate">
        {`free ${formatPages(total(maps, PFN_FREE))}  anon ${formatPages(total(maps, PFN_ANON))}  cache ${formatPages(total(maps, PFN_FILE))}  slab ${formatPages(slab)}  tables ${formatPages(total(maps, PFN_PAGETABLE))}`}
      </Text>
      <Text wrap="truncate" dimColor>
        . free P pcp A anon F page cache R S slab
      </Text>
      <Text wrap="truncate" dimColor>
        T tables K kernel X reserved; a: mostly free
      </Text>
    </Box>
  );
}
