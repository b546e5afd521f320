'use strict';
// Records what a library's own methods return while it signs, so an adapter can report a
// stage without recomputing it.

/**
 * Replaces each `methodName` on `instance` (an own property shadowing the prototype's) with
 * a wrapper that calls the library's method and records its return value under the stage
 * name. The library calls these through `this`, so the wrappers see exactly the values it
 * signs with. Returns the object the values are recorded in (the last call wins).
 */
function recordReturns(instance, stagesByMethod) {
  const recorded = {};
  for (const [methodName, stage] of Object.entries(stagesByMethod)) {
    const original = instance[methodName];
    if (typeof original !== 'function') {
      throw new Error(`the library has no method ${methodName} to capture ${stage} from`);
    }
    instance[methodName] = function recordingWrapper(...args) {
      const value = original.apply(this, args);
      recorded[stage] = value;
      return value;
    };
  }
  return recorded;
}

module.exports = { recordReturns };
