// Loaded with NODE_OPTIONS=--require into cognito-local by the sandbox. cognito-local 5.3.0 saves a pool's whole
// database (pretty-printed JSON) to disk after every change, so each write costs time proportional to the pool's
// size: a few thousand users bring it down to a few dozen writes per second, far below Cognito's own quotas. Real
// Cognito does not slow down as a pool grows, so the sandbox coalesces those saves: the state in memory changes at
// once (and is what every call reads), and the file is written at most every 250 ms with the latest state.
'use strict';
const path = require('path');
let LocalEngine;
try {
  LocalEngine = require(path.join(__dirname, 'node_modules', 'stormdb', 'src', 'engine', 'local.js'));
} catch {
  return;
}
const save = LocalEngine.prototype.write;
const delayMs = Number(process.env.IDREP_SAVE_INTERVAL_MS || 250);
LocalEngine.prototype.write = function (data) {
  if (!this.async || delayMs <= 0) {
    return save.call(this, data);
  }
  this.latest = data;
  if (!this.pending) {
    this.pending = setTimeout(() => {
      this.pending = null;
      save.call(this, this.latest).catch(() => {});
    }, delayMs);
  }
  return Promise.resolve();
};
