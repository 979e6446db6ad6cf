/*
 * StatusLine.tsx - one line under the console: the machine, its RAM and
 * CPUs, simulated uptime, speed (achieved, and asked for when different),
 * REC while recording, and the keys that matter.
 */

import { Box, Text } from "ink";
import { useDriver, useFrame, useUi } from "../context.js";
import { formatSpeed, formatUptime } from "../format.js";

export function StatusLine({ cols }: { cols: number }) {
  const d = useDriver();
  useFrame();
  const ui = useUi();
  const s = d.status();
  const speed =
    Math.abs(s.actualSpeed - s.speed) / s.speed > 0.05
      ? `${formatSpeed(s.actualSpeed)} of ${formatSpeed(s.speed)}`
      : formatSpeed(s.speed);
  const left = ` ${s.machine}  ${s.memoryMiB} MiB  ${s.smp} CPU${s.smp > 1 ? "s" : ""}  up ${formatUptime(s.uptimeNs)}  ${speed} `;
  const state =
    s.state === "panic"
      ? " KERNEL PANIC "
      : ui.scroll
        ? ` scrolled back ${ui.scroll} `
        : ui.prefix
          ? " ^A- "
          : "";
  const keys = ` F2 memory${ui.panel ? " (on)" : ""}  F3 physmap${ui.physmap ? " (on)" : ""}  ^A x quit `;
  const pad = Math.max(0, cols - left.length - state.length - (s.recording ? 5 : 0) - keys.length);
  return (
    <Box width={cols}>
      <Text inverse wrap="truncate">
        {left}
        {s.recording && <Text color="red">{" REC "}</Text>}
        {state && <Text color={s.state === "panic" ? "red" : "yellow"}>{state}</Text>}
        {" ".repeat(pad)}
        {keys}
      </Text>
    </Box>
  );
}
