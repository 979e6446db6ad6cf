/*
 * The event numbers of vm_event_item.ts are written out by hand (so that the
 * bundle inlines them): they must stay distinct and consecutive, the per-zone
 * events taking 6 slots each, up to NR_VM_EVENT_ITEMS.
 */
import { describe, expect, it } from "vitest";
import * as ev from "../../../src/kernel/mm/vm_event_item.js";

const PER_ZONE = new Set(["PGALLOC", "ALLOCSTALL", "PGSCAN_SKIP"]);

describe("vm_event_item numbers", () => {
  it("are consecutive from 0, per-zone events 6 slots wide, up to NR_VM_EVENT_ITEMS", () => {
    const events: [string, number][] = [];
    for (const [name, v] of Object.entries(ev))
      if (typeof v === "number" && name !== "NR_VM_EVENT_ITEMS") events.push([name, v]);
    events.sort((a, b) => a[1] - b[1]);
    let next = 0;
    const wrong: string[] = [];
    for (const [name, v] of events) {
      if (v !== next) wrong.push(`${name}=${v} (expected ${next})`);
      next = v + (PER_ZONE.has(name) ? 6 : 1);
    }
    expect(wrong).toEqual([]);
    expect(next).toBe(ev.NR_VM_EVENT_ITEMS);
    expect(events.length).toBe(100);
  });
});
