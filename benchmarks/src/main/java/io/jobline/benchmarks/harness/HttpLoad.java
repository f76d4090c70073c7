package io.jobline.benchmarks.harness;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop HTTP/1.1 load generator in the manner of wrk2: a fixed pool of keep-alive connections, each on its own
 * thread with blocking I/O, takes the next scheduled request from a queue. Latency runs from a request's scheduled
 * time to the end of its answer, so a request that waits for a free connection counts the wait (no coordinated
 * omission). It costs the machine far less CPU than {@code java.net.http.HttpClient}'s asynchronous path, whose
 * selector and executor hand-offs added milliseconds and took a quarter of the two cores at 500 requests/s.
 */
final class HttpLoad {

    /** One answer: its status and body. */
    record Answer(int status, String body) {
    }

    interface OnAnswer {
        void accept(long scheduledNanos, long sentNanos, Answer answer);
    }

    private static final long END = Long.MIN_VALUE;

    private final String host;
    private final int port;
    private final int connections;

    HttpLoad(String host, int port, int connections) {
        this.host = host;
        this.port = port;
        this.connections = connections;
    }

    /**
     * POSTs {@code body} to {@code path} at {@code perSecond} for {@code seconds}, and hands every answer to
     * {@code onAnswer}. Returns the number of requests that failed (connection errors); answers of any status count
     * as answers.
     */
    int post(String path, String body, double perSecond, double seconds, OnAnswer onAnswer) throws Exception {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n"
                + body).getBytes(StandardCharsets.UTF_8);
        long count = (long) (perSecond * seconds);
        BlockingQueue<Long> scheduled = new ArrayBlockingQueue<>((int) Math.min(Integer.MAX_VALUE, count + connections));
        AtomicInteger failures = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(() -> serve(request, scheduled, onAnswer, failures), "http-load-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        KafkaBaselines.OpenLoop.run(perSecond, seconds, scheduled::put);
        for (int i = 0; i < connections; i++) {
            scheduled.put(END);
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        }
        return failures.get();
    }

    private void serve(byte[] request, BlockingQueue<Long> scheduled, OnAnswer onAnswer, AtomicInteger failures) {
        Connection connection = null;
        try {
            while (true) {
                long due = scheduled.take();
                if (due == END) {
                    return;
                }
                long sent = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = new Connection(host, port);
                    }
                    Answer answer = connection.exchange(request);
                    onAnswer.accept(due, sent, answer);
                    if (connection.closing) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** A keep-alive connection; the server may ask to close it after an answer (Tomcat does every 100 requests). */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        boolean closing;

        Connection(String host, int port) throws IOException {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Answer exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            StringBuilder body = new StringBuilder();
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                    line();
                }
                line();
            } else if (length > 0) {
                body.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            }
            return new Answer(status, body.toString());
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
