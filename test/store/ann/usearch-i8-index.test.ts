import { usearchIndexFactory } from '../../../src/store/ann/usearch-index.js';
import { describeAnnIndex } from './conformance.js';

// i8 stores each component of a unit vector as 127·x truncated to an integer: at 384 dimensions
// components are ~±0.05 (±6 steps), so scores drift by a few hundredths and recall suffers.
describeAnnIndex(usearchIndexFactory({ quantization: 'i8', buildThreads: 1 }), {
  recallFloor: 0.9,
  scoreTolerance: 5e-2,
  detectsBitFlips: true,
});
