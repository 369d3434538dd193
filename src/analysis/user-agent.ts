// User agents compared across logs that write them differently (the rule lives in core, shared with the store).

export { normaliseUserAgent } from '../core/indicator-norm.js';
