import { detectCommandInjection } from './commandInjectionDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/command_injection was written for sidetap; see the README there.
describeCorpus('Command injection', 'command_injection', detectCommandInjection);
