// Stops the build with a clear message when this Node.js is older than Vite needs.
const need = [20, 19, 0];
const have = process.versions.node.split('.').map(Number);
const older = have[0] !== need[0] ? have[0] < need[0] : have[1] !== need[1] ? have[1] < need[1] : have[2] < need[2];
if (older) {
  console.error(`web/: Node.js ${process.versions.node} is too old; the console's build (Vite 8) needs Node.js >= ${need.join('.')} (20.x from 20.19, or >= 22.12).`);
  process.exit(1);
}
