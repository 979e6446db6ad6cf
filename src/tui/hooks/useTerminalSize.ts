/*
 * useTerminalSize.ts - follows the host terminal's size (SIGWINCH reaches
 * node as a "resize" event on stdout) into the UI state.
 */

import { useStdout } from "ink";
import { useEffect } from "react";

export function terminalSize(out: { columns?: number; rows?: number }): { cols: number; rows: number } {
  return { cols: out.columns || 80, rows: out.rows || 24 };
}

export function useTerminalSize(onResize: (cols: number, rows: number) => void): void {
  const { stdout } = useStdout();
  useEffect(() => {
    const on = (): void => {
      const { cols, rows } = terminalSize(stdout);
      onResize(cols, rows);
    };
    stdout.on("resize", on);
    return () => {
      stdout.off("resize", on);
    };
  }, [stdout, onResize]);
}
