package org.aipipeline.runner.platform.boundary;

import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.platform.entity.Problem;

/**
 * Errors raised by the container itself rather than by JAX-RS (MP-JWT rejecting a token, a path
 * outside the API, an oversized request) are routed here by web.xml so they are problem details
 * too.
 */
@WebServlet(urlPatterns = "/error-page")
public class ErrorPageServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : response.getStatus();
        String detail = switch (status) {
            case 401 ->
                "Missing, invalid or expired credentials: send 'Authorization: Bearer <accessToken>' or 'Authorization: <apiKey>'";
            case 404 -> "No resource at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            case 413 -> "The request is too large";
            default -> "The request could not be processed";
        };
        JsonObjectBuilder body = JsonCodecs.JSON
                .createObjectBuilder()
                .add("type", "about:blank")
                .add("title", ProblemResponses.reasonPhrase(status))
                .add("status", status)
                .add("detail", detail);
        body.add("requestId", RequestLogging.assignId(request, response));
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write(body.build().toString());
    }
}
