import { detectNosqlInjection } from './nosqlInjectionDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/nosql_injection was written for sidetap; see the README there.
describeCorpus('NoSQL injection', 'nosql_injection', detectNosqlInjection);
