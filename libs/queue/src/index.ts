export type { BatchHandler, Consumer, DeliveredMessage, PartitionState, Producer, Queue, QueueMessage } from './queue.ts';
export { QueueError, type QueueErrorReason } from './errors.ts';
export { MemoryQueue, type MemoryQueueOptions } from './queue.memory.ts';
export { KafkaQueue, type KafkaQueueOptions } from './queue.kafka.ts';
export type { KafkaProducerSettings } from './kafka/producer.ts';
export type { KafkaConsumerSettings } from './kafka/consumer.ts';
