from ninja import Router

router = Router(tags=["Certificate drafts"])
