// Options of the responder stage; playbooks and actions join with the response issue.
import { z } from 'zod';

export const responderConfigSchema = z.object({}).strict().describe('Responder: findings into actions.');

export type ResponderConfig = z.output<typeof responderConfigSchema>;
