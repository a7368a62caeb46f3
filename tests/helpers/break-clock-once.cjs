// Preload for the runtime harness's forced-failure test: the first Date#toISOString call after
// the runtime asked for work throws, as a broken dependency inside the handler would. The
// runtime's own code before that is untouched.
'use strict';
const original = Date.prototype.toISOString;
let armed = false;
setImmediate(() => {
  armed = true;
});
Date.prototype.toISOString = function toISOStringBreakingOnce() {
  if (armed) {
    armed = false;
    throw new Error('clock broke (forced by the test)');
  }
  return original.call(this);
};
