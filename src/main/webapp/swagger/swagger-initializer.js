// The OpenAPI document is served by MicroProfile OpenAPI at the server root. No validator: Swagger
// UI would otherwise send the document's URL to validator.swagger.io (and the page's
// Content-Security-Policy loads images from the runner only).
window.ui = SwaggerUIBundle({ url: "/openapi", dom_id: "#swagger-ui", validatorUrl: null });
