/*
 * LruSwap.tsx - the LRU lists (anon and file, active and inactive,
 * unevictable) and swap, from the vm counters.
 */

import { Box, Text } from "ink";
import type { MemSnapshot } from "../../machine.js";
import { formatPages } from "../format.js";

export function LruSwap({ snap }: { snap: MemSnapshot }) {
  const p = (n: number): string => formatPages(n, snap.pageSize).padStart(7);
  const { lru, swap } = snap;
  const used = swap.total - swap.free;
  return (
    <Box flexDirection="column">
      <Text bold>lru and swap</Text>
      <Text>
        {" anon  active"}
        {p(lru.activeAnon)}
        {"  inactive"}
        {p(lru.inactiveAnon)}
      </Text>
      <Text>
        {" file  active"}
        {p(lru.activeFile)}
        {"  inactive"}
        {p(lru.inactiveFile)}
      </Text>
      <Text>
        {" unevictable "}
        {p(lru.unevictable)}
      </Text>
      <Text>
        {swap.total ? ` swap ${formatPages(used)} of ${formatPages(swap.total)}` : " swap none"}
        {`  cache ${formatPages(swap.cached)}  in ${swap.pswpin} out ${swap.pswpout}`}
      </Text>
    </Box>
  );
}
