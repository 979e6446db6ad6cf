/*
 * context.ts - what components read: the Driver (the machine and its
 * terminal emulator, an external store), the UI state, and the actions that
 * change it. Components never reach the machine any other way.
 */

import { createContext, useContext, useSyncExternalStore } from "react";
import type { Driver } from "./driver.js";
import type { UiState } from "./state.js";

export interface UiActions {
  togglePanel(): void;
  togglePhysmap(): void;
  /** Scroll the console back (+) or forward (-) by pages. */
  scroll(pages: number): void;
  /** Back to the live screen. */
  live(): void;
  setPrefix(on: boolean): void;
}

export const DriverContext = createContext<Driver | null>(null);
export const UiStateContext = createContext<UiState | null>(null);
export const UiActionsContext = createContext<UiActions | null>(null);

function need<T>(v: T | null, what: string): T {
  if (v === null) throw new Error(`${what} used outside <Tui>`);
  return v;
}

export const useDriver = (): Driver => need(useContext(DriverContext), "useDriver");
export const useUi = (): UiState => need(useContext(UiStateContext), "useUi");
export const useUiActions = (): UiActions => need(useContext(UiActionsContext), "useUiActions");

/** Re-renders the caller on every driver frame; returns the frame number. */
export function useFrame(): number {
  const d = useDriver();
  return useSyncExternalStore(d.subscribe, d.getFrame);
}
