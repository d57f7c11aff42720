import { usearchIndexFactory } from '../../../src/store/ann/usearch-index.js';
import { describeAnnIndex } from './conformance.js';

// One build thread keeps the graphs (and so the results) reproducible.
describeAnnIndex(usearchIndexFactory({ quantization: 'f32', buildThreads: 1 }), {
  recallFloor: 0.95,
  scoreTolerance: 1e-4,
  detectsBitFlips: true,
});
describeAnnIndex(usearchIndexFactory({ quantization: 'f16', buildThreads: 1 }), {
  recallFloor: 0.95,
  scoreTolerance: 1e-3,
  detectsBitFlips: true,
});
