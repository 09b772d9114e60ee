// Loaded with `node --require` into every emulator the sandbox starts: exits this process as soon as the
// process that started it is gone (killed, crashed, or ended without cleaning up), so no emulator outlives it.
'use strict';
const owner = Number(process.env.IDREP_OWNER_PID || process.ppid);
const initialParent = process.ppid;
const timer = setInterval(() => {
  let ownerAlive = true;
  try {
    process.kill(owner, 0);
  } catch {
    ownerAlive = false;
  }
  if (!ownerAlive || process.ppid !== initialParent) {
    process.exit(0);
  }
}, 250);
timer.unref();
