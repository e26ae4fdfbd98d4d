export { TcpReassembler } from './tcpReassembler';
export type {
  CloseReason,
  ConnectionInfo,
  ConsumerFactory,
  Direction,
  Endpoint,
  StreamConsumer,
} from './streamConsumer';
