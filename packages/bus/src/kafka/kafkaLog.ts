// Routes kafkajs's own log lines into the stage's pino logger instead of its console format.
import type { logCreator } from 'kafkajs';
import { kafkajs } from './kafkajsModule';
import type { Logger } from 'pino';

export function kafkaLogCreator(logger: Logger): logCreator {
  const KafkaLogLevel = kafkajs().logLevel;
  return () =>
    ({ level, log }) => {
      const { message, ...rest } = log;
      const fields = { ...rest, component: 'kafkajs' };
      if (level === KafkaLogLevel.ERROR) logger.error(fields, message);
      else if (level === KafkaLogLevel.WARN) logger.warn(fields, message);
      else if (level === KafkaLogLevel.INFO) logger.debug(fields, message);
    };
}
