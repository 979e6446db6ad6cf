/*
 * ioprio.ts - I/O priorities (Linux block/ioprio.c, include/uapi/linux/
 * ioprio.h): ioprio_set(2) and ioprio_get(2).
 *
 *   ioprio:  | class (3 bits) | data (13 bits) |
 *             15           13  12             0
 *   class 0 NONE (follow the nice value), 1 RT, 2 BE (best effort), 3 IDLE
 *
 * A task without an I/O context reports IOPRIO_DEFAULT (class NONE, 0).
 * The value is kept on the task and inherited on fork; the block layer
 * does not yet schedule by it (virtio requests are served in order).
 */

import type { Kernel } from "../kernel.js";
import type { Task } from "../sched/task.js";
import { EINVAL, ESRCH } from "../uapi/errno.js";

export const IOPRIO_CLASS_SHIFT = 13;
const IOPRIO_CLASS_MASK = 0x07;
const IOPRIO_PRIO_MASK = (1 << IOPRIO_CLASS_SHIFT) - 1;
export const IOPRIO_CLASS_NONE = 0;
export const IOPRIO_CLASS_RT = 1;
export const IOPRIO_CLASS_BE = 2;
export const IOPRIO_CLASS_IDLE = 3;
/** Levels of the RT and BE classes (data 0..7). */
const IOPRIO_NR_LEVELS = 8;
export const IOPRIO_WHO_PROCESS = 1;
export const IOPRIO_WHO_PGRP = 2;
export const IOPRIO_WHO_USER = 3;

const IOPRIO_PRIO_CLASS = (ioprio: number): number => (ioprio >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK;
const IOPRIO_PRIO_DATA = (ioprio: number): number => ioprio & IOPRIO_PRIO_MASK;

/** ioprio_check_cap: a class this kernel knows with a level in range (root may use RT). */
function ioprio_check_cap(ioprio: number): number {
  const data = IOPRIO_PRIO_DATA(ioprio);
  switch (IOPRIO_PRIO_CLASS(ioprio)) {
    case IOPRIO_CLASS_RT:
    case IOPRIO_CLASS_BE:
      return data >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
    case IOPRIO_CLASS_IDLE:
      return 0;
    case IOPRIO_CLASS_NONE:
      return data ? -EINVAL : 0;
  }
  return -EINVAL;
}

/** The tasks `which`/`who` names (0: the caller, its group, its user - root, every task). */
function ioprio_targets(k: Kernel, t: Task, which: number, who: number): Task[] | number {
  switch (which) {
    case IOPRIO_WHO_PROCESS: {
      const p = who ? k.sched.tasks.get(who) : t;
      return p ? [p] : [];
    }
    case IOPRIO_WHO_PGRP: {
      const pgrp = who || t.signal.pgrp;
      return [...k.sched.tasks.values()].filter((p) => p.signal.pgrp === pgrp && !p.exit_state);
    }
    case IOPRIO_WHO_USER:
      return who === 0 ? [...k.sched.tasks.values()] : [];
  }
  return -EINVAL;
}

export function sys_ioprio_set(k: Kernel, t: Task, which: number, who: number, ioprio: number): number {
  const err = ioprio_check_cap(ioprio);
  if (err) return err;
  const targets = ioprio_targets(k, t, which, who);
  if (typeof targets === "number") return targets;
  for (const p of targets) p.ioprio = ioprio;
  return targets.length ? 0 : -ESRCH;
}

/**
 * ioprio_get(2): one task's value; for a group or user the best of theirs
 * (ioprio_best: the lowest value, a NONE counting as IOPRIO_DEFAULT, 0).
 */
export function sys_ioprio_get(k: Kernel, t: Task, which: number, who: number): number {
  const targets = ioprio_targets(k, t, which, who);
  if (typeof targets === "number") return targets;
  if (!targets.length) return -ESRCH;
  return Math.min(...targets.map((p) => p.ioprio));
}
