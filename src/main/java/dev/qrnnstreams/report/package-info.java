/** Reporting for people: a terminal progress bar and line charts written as PNG files with java.awt. */
package dev.qrnnstreams.report;
