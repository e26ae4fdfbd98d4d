import { detectXxe } from './xxeDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/xxe was written for sidetap; see the README there.
describeCorpus('XXE', 'xxe', detectXxe);
