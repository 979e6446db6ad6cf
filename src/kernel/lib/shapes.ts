/*
 * shapes.ts - keeping the host engine's object shapes the same from one
 * machine to the next (no Linux counterpart: this is about V8, not the
 * kernel).
 *
 * A process can make several machines (the bench makes three in a row, the
 * tests dozens). V8 optimizes the hot paths for the shapes (maps) it saw on
 * the first one; a second machine whose objects or arrays have other maps
 * deoptimizes those paths, which then run slowly until they are compiled
 * again. The usual causes, and what to do instead:
 *  - an object literal run once per machine: V8 makes its boilerplate the
 *    second time and generalizes the fields' types. Use a class.
 *  - a closure per machine called on a hot path (a hook, a shrinker, a
 *    callback): another function each time. Use a module-level function or
 *    a class method.
 *  - an empty array literal that later takes objects: it starts as an array
 *    of small integers and changes its elements kind at the first object,
 *    while the optimized code had only seen the array after the change. Start
 *    it with objects' elements kind (object_array) or with an element.
 *  - delete on an array element: the array can become a dictionary and come
 *    back with a map of its own. Store undefined.
 *  - a number field that starts at 0 and later holds a larger value than a
 *    small integer (a time in ns passes 2^30 after about a second of
 *    uptime): at the first such value V8 changes the field's representation
 *    and deprecates the map, and every optimized function that saw it
 *    deoptimizes, whenever that happens - in the middle of a run. Make the
 *    field a double from the first object on (double_fields).
 */

/** An empty array whose elements kind is already "any object" (PACKED_ELEMENTS). */
export function object_array<T>(): T[] {
  const a: (T | null)[] = [null];
  a.pop();
  return a as T[];
}

/**
 * Makes the named number fields of o doubles in V8's eyes (a fraction
 * stored once, then the value put back): called in a constructor, the first
 * object, at boot, settles the representation for all that follow.
 */
export function double_fields<T extends object>(o: T, keys: readonly (keyof T & string)[]): void {
  const r = o as Record<string, unknown>;
  for (const key of keys) {
    const v = r[key];
    r[key] = 0.5;
    r[key] = v;
  }
}
