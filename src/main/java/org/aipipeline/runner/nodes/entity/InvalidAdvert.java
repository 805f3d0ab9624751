package org.aipipeline.runner.nodes.entity;

import org.aipipeline.runner.apscheme.ApSchemeException;

/**
 * A NodeAdvertised body the runner refuses, with the JSON path of the problem
 * ({@code procedures[1].input.properties.image: unknown type 'ApImage'}). The same path-and-reason
 * shape as a bad ApScheme element, of which a bad scheme in an advert is the commonest case; its own
 * type so that the advert consumer catches only problems of adverts.
 */
public class InvalidAdvert extends ApSchemeException {

    private static final long serialVersionUID = 1L;

    public InvalidAdvert(String path, String reason) {
        super(path, reason);
    }
}
