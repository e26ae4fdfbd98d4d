import { detectSsrf } from './ssrfDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/ssrf was written for sidetap; see the README there.
describeCorpus('SSRF', 'ssrf', detectSsrf);
