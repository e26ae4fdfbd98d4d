import { detectPathTraversal } from './pathTraversalDetector';
import { describeCorpus } from './testCorpus';

// fixtures/payloads/path_traversal was written for sidetap; see the README there.
describeCorpus('Path traversal', 'path_traversal', detectPathTraversal);
