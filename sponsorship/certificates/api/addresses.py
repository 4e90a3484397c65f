from ninja import Router

router = Router(tags=["Work addresses"])
