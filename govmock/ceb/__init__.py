"""Customs: the CEB (China E-Port cross-border e-commerce) export message sets of DOMAIN §3."""
