package io.sshtunnel.common;

import java.util.regex.Pattern;

/** URLs as they may be shown: in a message, a log line, a printed command. */
public final class Urls {
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/@\\s]*@");

    private Urls() {
    }

    /**
     * The URL without a user and password written into it ({@code http://user:secret@proxy:3128}
     * becomes {@code http://…@proxy:3128}): the proxy's credentials have properties of their own,
     * and one typed into the URL must not be repeated wherever the URL is shown.
     */
    public static String withoutUserInfo(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceFirst("\u2026@");
    }
}
