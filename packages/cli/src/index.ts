export { main } from './main';
export type { CommandIo } from './commands/commandIo';
