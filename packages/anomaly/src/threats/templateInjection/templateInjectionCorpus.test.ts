import { detectTemplateInjection } from './templateInjectionDetector';
import { describeCorpus } from '../pathTraversal/testCorpus';

// fixtures/payloads/template_injection was written for sidetap; see the README there.
describeCorpus('Template injection', 'template_injection', detectTemplateInjection);
