import { compareVersions, latest } from '../src/semver.js';

export default {
  'compares parts numerically': () => [Math.sign(compareVersions('1.10.0', '1.9.0')) + 0, Math.sign(compareVersions('0.9.12', '0.9.2')) + 0, latest(['1.9.0', '1.10.0', '1.2.3'])],
  'a missing part counts as zero': () => [Math.sign(compareVersions('1.2', '1.2.0')) + 0, Math.sign(compareVersions('1.2', '1.2.1')) + 0],
  'orders single-digit versions': () => [Math.sign(compareVersions('1.2.3', '1.3.0')) + 0, Math.sign(compareVersions('2.0.0', '1.9.9')) + 0, Math.sign(compareVersions('1.2.3', '1.2.3')) + 0],
  'picks the latest of single-digit versions': () => latest(['1.0.0', '1.2.0', '1.1.5']),
};
