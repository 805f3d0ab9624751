package org.aipipeline.runner.fileservice.entity;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.util.Optional;

/**
 * How a client reaches a File Service: its {@code host:port}, plaintext or TLS, the name its
 * certificate must carry when that is not the host dialled ({@code authority}, null for the
 * host), and the token to send (null for none).
 */
public record FileServiceChannel(String target, ChannelCredentials credentials, String authority, BearerToken token) {

    /** Plaintext without a token: what every File Service without security settings expects. */
    public static FileServiceChannel plaintext(String target) {
        return new FileServiceChannel(target, InsecureChannelCredentials.create(), null, null);
    }

    public FileServiceChannel withCredentials(ChannelCredentials value, String expectedAuthority) {
        return new FileServiceChannel(
                target,
                value,
                expectedAuthority == null || expectedAuthority.isBlank() ? null : expectedAuthority.strip(),
                token);
    }

    public FileServiceChannel withToken(Optional<BearerToken> value) {
        return new FileServiceChannel(target, credentials, authority, value.orElse(null));
    }

    public boolean tls() {
        return credentials instanceof TlsChannelCredentials;
    }

    /** A new channel; every call on it carries the token, if there is one. */
    public ManagedChannel open(int maxInboundMessageBytes) {
        ManagedChannelBuilder<?> builder =
                Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(maxInboundMessageBytes);
        if (authority != null) {
            builder.overrideAuthority(authority);
        }
        if (token != null) {
            builder.intercept(token.sender());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return target + " (" + (tls() ? "TLS" : "plaintext")
                + (authority == null ? "" : ", certificate for " + authority) + (token == null ? "" : ", with token")
                + ")";
    }
}
