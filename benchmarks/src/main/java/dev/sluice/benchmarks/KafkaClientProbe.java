package dev.sluice.benchmarks;

import java.util.regex.Pattern;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Reads the Kafka clients' own metrics out of a running service, over JMX, through the JDK's attach API:
 * {@code KafkaClientProbe PID}. It prints what says where a produce or a fetch spends its time (requests in
 * flight, records per request, the broker's acknowledgement, the wait for a free request, fetch latency), as the
 * clients averaged them over their last metrics window. Used inside a load step, from the shared harness's
 * {@code SH_SAT_START_CMD}; see "Producer and consumer settings" in docs/benchmarks.md.
 */
final class KafkaClientProbe {
    private static final String[] CLIENTS = {"kafka.producer:type=producer-metrics,*",
            "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*"};
    private static final Pattern SHOWN = Pattern.compile("requests-in-flight|request-rate|record-send-rate"
            + "|records-per-request-avg|batch-size-avg|request-latency-(avg|max)|record-queue-time-(avg|max)"
            + "|io-wait-ratio|bufferpool-wait-ratio|fetch-rate|fetch-latency-(avg|max)|fetch-size-avg|records-lag-max");

    private KafkaClientProbe() {
    }

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            for (String client : CLIENTS) {
                for (ObjectName name : server.queryNames(new ObjectName(client), null)) {
                    System.out.println(name);
                    for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                        if (SHOWN.matcher(attribute.getName()).matches()) {
                            System.out.printf("  %s = %s%n", attribute.getName(),
                                    server.getAttribute(name, attribute.getName()));
                        }
                    }
                }
            }
        } finally {
            vm.detach();
        }
    }
}
