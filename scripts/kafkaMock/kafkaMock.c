/* A Kafka test broker for sidetap's tests: librdkafka's mock cluster, which speaks the real Kafka
 * protocol, driven by one-line commands on stdin (there is no CreateTopics API in the mock, so
 * topics are made here). Listens on 127.0.0.1 only. Prints "ready <bootstraps>" once, then "ok" or
 * "error <why>" after each command.
 *
 *   kafkaMock [brokers]
 *   topic <name> <partitions>        create a topic (replication factor 1)
 *   down <broker-id> | up <broker-id> take a broker off the network and bring it back
 *   errors <api-key> <count> <code>  the next <count> requests of that API fail with <code>
 *   quit                              stop (also on end of input)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static void reply(const char *fmt, const char *detail) {
  printf(fmt, detail);
  fputc('\n', stdout);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  if (brokers < 1 || brokers > 16) {
    fprintf(stderr, "kafkaMock: broker count must be 1..16\n");
    return 2;
  }
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only hosts the mock cluster's thread; it never connects anywhere. */
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "kafkaMock: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafkaMock: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "kafkaMock: could not start the mock cluster\n");
    return 1;
  }
  reply("ready %s", rd_kafka_mock_cluster_bootstraps(mc));

  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    char name[512];
    int a = 0, b = 0, c = 0;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (sscanf(line, "topic %511s %d", name, &a) == 2) {
      err = rd_kafka_mock_topic_create(mc, name, a, 1);
    } else if (sscanf(line, "down %d", &a) == 1) {
      err = rd_kafka_mock_broker_set_down(mc, a);
    } else if (sscanf(line, "up %d", &a) == 1) {
      err = rd_kafka_mock_broker_set_up(mc, a);
    } else if (sscanf(line, "errors %d %d %d", &a, &b, &c) == 3) {
      for (int i = 0; i < b; i++) rd_kafka_mock_push_request_errors(mc, (int16_t)a, 1, (rd_kafka_resp_err_t)c);
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      reply("error unknown command: %s", strtok(line, "\n"));
      continue;
    }
    if (err) reply("error %s", rd_kafka_err2str(err));
    else reply("ok%s", "");
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
