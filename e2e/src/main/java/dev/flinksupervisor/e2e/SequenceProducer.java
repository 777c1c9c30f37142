package dev.flinksupervisor.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@code <key>,<seq>} records to the input topic on a thread of its own, numbered per key
 * from 1, round robin over the keys, at about {@code perSecond}; idempotent with {@code acks=all},
 * so the input holds each record once. {@link #produced()} is what the broker acknowledged.
 */
final class SequenceProducer implements AutoCloseable {
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final String[] keys;
  private final long pauseNanos;
  private final Map<String, Long> sent = new ConcurrentHashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  SequenceProducer(String bootstrapServers, String topic, int keys, int perSecond) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.topic = topic;
    this.keys = new String[keys];
    for (int i = 0; i < keys; i++) {
      this.keys[i] = "key-" + i;
    }
    this.pauseNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.thread = new Thread(this::run, "sequence-producer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long seq = 0;
    long next = System.nanoTime();
    while (running) {
      seq++;
      for (String key : keys) {
        send(key, seq);
      }
      next += pauseNanos * keys.length;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
  }

  /** Sends one record of {@code key} now, numbered after the key's last one. */
  synchronized void sendOne(String key) {
    send(key, sent.getOrDefault(key, 0L) + 1);
  }

  private synchronized void send(String key, long seq) {
    sent.put(key, seq);
    producer.send(
        new ProducerRecord<>(topic, key, key + "," + seq),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
  }

  /** Stops, waits until everything sent is acknowledged, and says what was produced. */
  Map<String, Long> stop() throws Exception {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(10));
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("A record was not acknowledged", failure.get());
    }
    return produced();
  }

  /** The highest sequence number sent per key (all acknowledged once {@link #stop()} returned). */
  Map<String, Long> produced() {
    return new TreeMap<>(sent);
  }

  long total() {
    return sent.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public void close() {
    running = false;
    producer.close(Duration.ofSeconds(10));
  }
}
