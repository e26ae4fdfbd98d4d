import { detectJndiInjection } from './jndiInjectionDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/jndi_injection was written for sidetap; see the README there.
describeCorpus('JNDI injection', 'jndi_injection', detectJndiInjection);
