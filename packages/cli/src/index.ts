export { main } from './main';
export type { CommandIo } from './commands/commandIo';
export { sidetapConfigSchema } from './sidetapConfig';
export type { SidetapConfig } from './sidetapConfig';
