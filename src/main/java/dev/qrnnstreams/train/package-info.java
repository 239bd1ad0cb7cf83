/** Training: data readers, losses, optimisers and schedules, checkpoints, the classifier's and the translator's training loops and recipes, and evaluation (accuracy, BLEU). */
package dev.qrnnstreams.train;
